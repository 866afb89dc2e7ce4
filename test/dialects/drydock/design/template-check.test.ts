import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderScannedTemplate, scanTemplate, templateProblems, TEMPLATE_VARIABLES, type TemplateVariable } from '../../../../src/dialects/drydock/design/template-check.js';

describe('templateProblems', () => {
  it('accepts every known name, with or without spaces inside the braces', () => {
    const text = TEMPLATE_VARIABLES.map((name, i) => (i % 2 === 0 ? `{{${name}}}` : `{{  ${name} }}`)).join('\n');
    assert.deepEqual(templateProblems(text), []);
    assert.equal(scanTemplate(text).placeholders.length, TEMPLATE_VARIABLES.length);
  });

  it('accepts text without placeholders, and lone closing braces (JSON)', () => {
    assert.deepEqual(templateProblems('{"a": {"b": 1}}\n'), []);
  });

  it('names an unknown placeholder with its line and column', () => {
    assert.match(templateProblems('ok\n  {{ node.name }}')[0]!, /^unknown placeholder \{\{ node\.name \}\} at line 2, column 3: the names are node\.hostname, /);
  });

  it('refuses every other syntax: filters, blocks, unclosed and quadruple braces', () => {
    const cases = ['{{ node.hostname | upper }}', '{% for x in y %}{{ x }}{% endfor %}', 'a {{ node.hostname', '{{{{ node.hostname }}}}', '{{\nnode.hostname }}'];
    for (const text of cases) assert.notDeepEqual(templateProblems(text), [], text);
    assert.match(templateProblems('a {{ node.hostname')[0]!, /^"\{\{" at line 1, column 3 opens no placeholder/);
  });
});

describe('renderScannedTemplate', () => {
  it('replaces each placeholder and keeps the rest', () => {
    const values = Object.fromEntries(TEMPLATE_VARIABLES.map((name) => [name, `<${name}>`])) as Record<TemplateVariable, string>;
    const text = 'host={{node.hostname}} key={{ action.action_key }}}';
    assert.equal(renderScannedTemplate(text, scanTemplate(text), values), 'host=<node.hostname> key=<action.action_key>}');
  });
});
