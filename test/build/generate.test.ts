// generated/ is derived from the spec: --check must pass on the committed tree and must catch
// a spec edit that was not followed by `npm run generate`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, wireRoutes } from '../../generated/routes.js';
import { GENERATE_INPUTS, GENERATOR_RUNS_TIMEOUT, ROOT, readJson, runScript, tempCopy } from './helpers.js';

describe('generate.mjs --check', () => {
  it('passes on the committed tree', () => {
    const r = runScript('generate.mjs', ['--check']);
    expect(r.output).toContain('up to date');
    expect(r.status).toBe(0);
  });

  describe('on a temp copy', () => {
    // The first two tests run generate.mjs, and so OpenAPI Generator (Java), four and three times.
    let dir: string;
    let cleanup: () => void;
    beforeAll(() => ({ dir, cleanup } = tempCopy(GENERATE_INPUTS)));
    afterAll(() => cleanup());

    it('fails after a one-line spec edit, naming each stale file and the fix; generate then makes it pass', () => {
      const specFile = join(dir, 'openapi/referrals.yaml');
      const text = readFileSync(specFile, 'utf8');
      const edited = text.replace(/^(\s*summary:\s*)Get all referrals\s*$/m, '$1List every referral');
      expect(edited).not.toBe(text);
      writeFileSync(specFile, edited);

      const stale = runScript('generate.mjs', ['--check', '--root', dir]);
      expect(stale.status).toBe(1);
      expect(stale.stderr).toMatch(/generated\/referrals\.swagger\.json: stale at line \d+/);
      expect(stale.stderr).toMatch(/generated\/referrals\.openapi\.json: stale at line \d+/);
      expect(stale.stderr).toMatch(/generated\/referrals\.ts: stale at line \d+/);
      expect(stale.stderr).toContain('List every referral');
      expect(stale.stderr).toContain('npm run generate');
      expect(stale.stderr).not.toContain('routes.ts: stale');

      const gen = runScript('generate.mjs', ['--root', dir]);
      expect(gen.status).toBe(0);
      expect(gen.stdout).toMatch(/wrote\s+generated\/referrals\.swagger\.json/);
      expect(gen.stdout).toMatch(/unchanged\s+generated\/routes\.ts/);
      expect(runScript('generate.mjs', ['--check', '--root', dir]).status).toBe(0);

      // Deterministic: a second run rewrites nothing.
      const again = runScript('generate.mjs', ['--root', dir]);
      expect(again.stdout).not.toMatch(/^wrote/m);
    }, GENERATOR_RUNS_TIMEOUT);

    it('reports a missing generated file and a stray one', () => {
      const routesFile = join(dir, 'generated/routes.ts');
      const saved = readFileSync(routesFile);
      writeFileSync(join(dir, 'generated/extra.ts'), 'export {};\n');
      writeFileSync(routesFile, '');
      try {
        const r = runScript('generate.mjs', ['--check', '--root', dir]);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain('generated/routes.ts: stale at line 1');
        expect(r.stderr).toContain('generated/extra.ts: not produced by generate.mjs');
      } finally {
        writeFileSync(routesFile, saved);
        runScript('generate.mjs', ['--root', dir]);
      }
      expect(runScript('generate.mjs', ['--check', '--root', dir]).status).toBe(0);
    }, GENERATOR_RUNS_TIMEOUT);

    it('fails with file, line and column on a YAML error', () => {
      const specFile = join(dir, 'openapi/referrals.yaml');
      const text = readFileSync(specFile, 'utf8');
      const lines = text.split('\n');
      const i = lines.findIndex((l) => /^\s*title:/.test(l));
      lines.splice(i + 1, 0, lines[i]!); // a duplicate key is an error YAML reports at the second one
      writeFileSync(specFile, lines.join('\n'));
      try {
        const r = runScript('generate.mjs', ['--check', '--root', dir]);
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`openapi/referrals\\.yaml:${i + 2}:\\d+: YAML DUPLICATE_KEY`));
      } finally {
        writeFileSync(specFile, text);
      }
    });

    it('fails naming apiProperties.json and the policy instance when a route names an unknown operation', () => {
      const file = join(dir, 'apiProperties.json');
      const text = readFileSync(file, 'utf8');
      const doc = JSON.parse(text);
      const instances: any[] = doc.properties.policyTemplateInstances;
      const index = instances.findIndex((p) => p.templateId === 'routerequesttoendpoint');
      instances[index].parameters['x-ms-apimTemplate-operationName'] = ['NoSuchOperation'];
      writeFileSync(file, JSON.stringify(doc, null, 2));
      try {
        const r = runScript('generate.mjs', ['--root', dir]);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain(`apiProperties.json: policyTemplateInstances[${index}] (routerequesttoendpoint`);
        expect(r.stderr).toContain('"NoSuchOperation"');
      } finally {
        writeFileSync(file, text);
      }
    });
  });
});

describe('generated/routes.ts', () => {
  const spec = readJson(join(ROOT, 'generated/referrals.swagger.json'));
  const apiProperties = readJson(join(ROOT, 'apiProperties.json'));

  it('lists every operation of the spec at its spec route', () => {
    const fromSpec = Object.entries<any>(spec.paths).flatMap(([path, item]) =>
      ['get', 'put', 'post', 'delete', 'patch'].filter((m) => item[m]).map((m) => [item[m].operationId, m.toUpperCase(), path]),
    );
    expect(Object.keys(routes).sort()).toEqual(fromSpec.map(([id]) => id).sort());
    for (const [id, method, path] of fromSpec) {
      const route = routes[id as keyof typeof routes];
      expect([route.specMethod, route.specPath]).toEqual([method, path]);
    }
  });

  it('takes the wire route of every routerequesttoendpoint instance from apiProperties.json', () => {
    const routed = apiProperties.properties.policyTemplateInstances.filter((p: any) => p.templateId === 'routerequesttoendpoint');
    expect(routed.length).toBeGreaterThan(0);
    for (const instance of routed) {
      for (const id of instance.parameters['x-ms-apimTemplate-operationName']) {
        const route = routes[id as keyof typeof routes];
        expect(route.path).toBe(instance.parameters['x-ms-apimTemplateParameter.newPath']);
        expect(route.method).toBe(instance.parameters['x-ms-apimTemplateParameter.httpMethod'] ?? route.specMethod);
      }
    }
    expect(routes.CreateDealRegistrationByReferralId).toMatchObject({ specMethod: 'POST', method: 'PATCH', path: '/referrals/{id}' });
    expect(routes.PatchDealRegistrationByReferralId).toMatchObject({ method: 'PATCH', path: '/referrals/{id}' });
  });

  it('wireRoutes carries the wire route and marks exactly the operations that declare MS-RequestId', () => {
    const withRequestId = Object.values<any>(spec.paths).flatMap((item) =>
      ['get', 'put', 'post', 'delete', 'patch']
        .filter((m) => item[m])
        .filter((m) =>
          item[m].parameters.some((p: any) => {
            const param = p.$ref ? spec.parameters[p.$ref.replace('#/parameters/', '')] : p;
            return param.in === 'header' && param.name === 'MS-RequestId';
          }),
        )
        .map((m) => item[m].operationId),
    );
    expect(withRequestId.sort()).toEqual(['CreateDealRegistrationByReferralId', 'CreateReferral']);
    for (const [id, route] of Object.entries(routes)) {
      const wire = wireRoutes[id as keyof typeof wireRoutes];
      expect(wire, id).toEqual({ method: route.method, path: route.path, ...(withRequestId.includes(id) ? { requestId: true } : {}) });
    }
  });
});
