/**
 * The regex work one event may cause, in steps: automaton states visited while building
 * transitions, plus one per character read. Linear time is not enough when the automaton
 * has thousands of states (`a[ab]{999}c` visits ~2,000 of them per character of a value no
 * cached state covers), so the engine gives each rule a share of steps per event and the event
 * a total; a regex test that would go beyond what is left stops, answers false and is counted
 * here, so that callers can tell a cut-off answer from a real one (and not remember it).
 */
export class RegexWorkBudget {
  private ruleLeft = Infinity;
  private eventLeft = Infinity;
  private perRule = Infinity;
  /** Tests stopped for want of steps, since the budget was made. */
  cutOffs = 0;

  /** Starts an event with `eventSteps` for all its rules, `ruleSteps` for each. */
  startEvent(eventSteps: number, ruleSteps: number): void {
    this.eventLeft = eventSteps;
    this.perRule = ruleSteps;
    this.ruleLeft = ruleSteps;
  }

  /** Starts a rule's evaluation with its own share (within what the event has left). */
  startRule(): void {
    this.ruleLeft = this.perRule;
  }

  /** Steps the current test may still take. */
  get left(): number {
    return Math.min(this.ruleLeft, this.eventLeft);
  }

  spend(steps: number): void {
    this.ruleLeft -= steps;
    this.eventLeft -= steps;
  }

  /** A test stopped after `steps`. */
  cutOff(steps: number): void {
    this.spend(steps);
    this.cutOffs++;
  }
}
