/** Playbooks: CACAO 2.0 documents, their validation, selection and the run engine. */
export * from './condition-expression.ts';
export * from './cordon-step.ts';
export * from './parse-playbook-text.ts';
export * from './playbook-document.ts';
export * from './playbook-problem.ts';
export * from './playbook-run.ts';
export * from './playbook-run-engine.ts';
export * from './opening-host.ts';
export * from './playbook-selection.ts';
export * from './stored-playbook.ts';
export * from './validate-playbook.ts';
