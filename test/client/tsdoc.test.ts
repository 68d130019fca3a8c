// Every exported declaration of the client, and every member of its exported interfaces and
// classes, carries a TSDoc comment: editors show it on hover, and it is the reference.
import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../src/client/', import.meta.url);
const FILES = [...readdirSync(DIR).map((f) => new URL(f, DIR)), new URL('../../src/index.ts', import.meta.url)];

const parse = (file: URL) => ts.createSourceFile(file.pathname, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
const isExported = (node: ts.Node) => ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const hasDoc = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
const nameOf = (node: ts.Node): string =>
  ts.isVariableStatement(node) ? node.declarationList.declarations[0]!.name.getText() : ((node as ts.NamedDeclaration).name?.getText() ?? ts.SyntaxKind[node.kind]);

function undocumented(file: URL): string[] {
  const source = parse(file);
  const where = (node: ts.Node) => `${file.pathname.replace(/.*\/src\//, 'src/')}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const missing: string[] = [];
  for (const stmt of source.statements) {
    // Re-exports (src/index.ts) are documented where they are declared.
    if (!isExported(stmt) || ts.isExportDeclaration(stmt)) continue;
    if (!hasDoc(stmt)) missing.push(`${where(stmt)} ${nameOf(stmt)}`);
    if (ts.isInterfaceDeclaration(stmt) || ts.isClassDeclaration(stmt)) {
      for (const member of stmt.members as ts.NodeArray<ts.ClassElement | ts.TypeElement>) {
        if (!ts.isConstructorDeclaration(member) && !hasDoc(member)) missing.push(`${where(member)} ${nameOf(stmt)}.${nameOf(member)}`);
      }
    }
  }
  return missing;
}

describe('TSDoc', () => {
  it('documents every exported symbol of src/client and src/index.ts, and every member of their interfaces and classes', () => {
    expect(FILES.flatMap(undocumented)).toEqual([]);
  });

  it('marks updateReferralById, and only it, @deprecated', () => {
    const client = parse(new URL('client.ts', DIR)).statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'ReferralsClient')!;
    const deprecated = client.members.filter((m) => ts.getJSDocDeprecatedTag(m)).map((m) => nameOf(m));
    expect(deprecated).toEqual(['updateReferralById']);
  });
});
