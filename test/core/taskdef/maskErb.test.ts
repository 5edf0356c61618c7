import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { erbDepthAt, findErbTags, maskErb } from '../../../server/src/core/taskdef/maskErb';

const dir = path.join(__dirname, '../../fixtures/taskdef');
const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

describe('findErbTags', () => {
  test('kinds, code and control flow', () => {
    const text = '<%= @a %> <% if @x -%> <%- y -%> <%# note %> <%== raw %> <% else %> <% end -%> <% list.each do |i| %> <% end %>';
    const tags = findErbTags(text);
    assert.deepEqual(
      tags.map((t) => [t.kind, t.code, t.flow]),
      [
        ['output', '@a', 'none'],
        ['code', 'if @x', 'open'],
        ['code', 'y', 'none'],
        ['comment', 'note', 'none'],
        ['output', 'raw', 'none'],
        ['code', 'else', 'middle'],
        ['code', 'end', 'close'],
        ['code', 'list.each do |i|', 'open'],
        ['code', 'end', 'close'],
      ],
    );
    for (const t of tags) assert.ok(text.slice(t.start, t.end).startsWith('<%') && text.slice(t.start, t.end).endsWith('%>'));
  });

  test('a tag ends at the first %>, even inside Ruby strings; <%% and %%> are escapes', () => {
    const text = 'a <%= "x %> y" %> b <%% c %%> d <% e %%> f %>';
    const tags = findErbTags(text);
    assert.deepEqual(
      tags.map((t) => text.slice(t.start, t.end)),
      ['<%= "x %>', '<% e %%> f %>'],
    );
  });

  test('modifier conditions open nothing; one-line if ... end opens nothing', () => {
    const flows = findErbTags('<% x = 1 if y %><% if a then b end %><% unless z %><% end %>').map((t) => t.flow);
    assert.deepEqual(flows, ['none', 'none', 'open', 'close']);
  });

  test('an unterminated tag runs to the end', () => {
    const tags = findErbTags('{"a": "<%= @x');
    assert.equal(tags.length, 1);
    assert.equal(tags[0].end, 13);
  });

  test('block depth', () => {
    const text = 'a\n<% if x %>\nb\n<% else %>\nc\n<% end %>\nd';
    const tags = findErbTags(text);
    assert.equal(erbDepthAt(tags, text.indexOf('a')), 0);
    assert.equal(erbDepthAt(tags, text.indexOf('b')), 1);
    assert.equal(erbDepthAt(tags, text.indexOf('c')), 1);
    assert.equal(erbDepthAt(tags, text.indexOf('d')), 0);
  });
});

describe('maskErb', () => {
  test('fillers by context, same length and same offsets', () => {
    const text = '{"family": "<%= @family %>", "command": <%= @command.to_json %>,\n<% if @x -%>\n"cpu": 1\n<% end -%>\n}';
    const masked = maskErb(text);
    assert.equal(masked.length, text.length);
    assert.equal(
      masked,
      '{"family": "' + 'x'.repeat(14) + '", "command": "' + 'x'.repeat(21) + '",\n' + ' '.repeat(12) + '\n"cpu": 1\n' + ' '.repeat(10) + '\n}',
    );
  });

  test('text without tags is returned unchanged', () => {
    assert.equal(maskErb('{"a": "b"}'), '{"a": "b"}');
  });

  test('line breaks inside a tag are kept', () => {
    const text = 'a: <%\n  x = 1\n%>\nb: 2';
    const masked = maskErb(text);
    assert.equal(masked, 'a:   \n       \n  \nb: 2');
  });

  test('double quotes inside the Ruby of a tag do not confuse the string tracking', () => {
    const text = '{"r": "<%= @r || "us-east-1" %>", "c": <%= @c %>}';
    assert.deepEqual(JSON.parse(maskErb(text)), { r: 'x'.repeat(24), c: 'xxxxxxx' });
  });

  test('non-ASCII text keeps its offsets', () => {
    const text = '{"ä🚀": "<%= @x %>", "b": <%= 1 %>}';
    const masked = maskErb(text);
    assert.equal(masked.length, text.length);
    assert.equal(masked.slice(0, 8), text.slice(0, 8));
    assert.deepEqual(JSON.parse(masked), { 'ä🚀': 'xxxxxxxxx', b: 'xxxxxx' });
  });

  test('the generated v5 and v6 JSON templates mask to valid JSON, keeping every character outside tags', () => {
    for (const name of ['v5_main.input.json.erb', 'v5_fargate.input.json.erb', 'v5_fargate_erb_role.input.json.erb', 'v6_web.input.json', 'unicode.input.json', 'crlf.input.json.erb']) {
      const text = read(name);
      const masked = maskErb(text);
      assert.equal(masked.length, text.length, name);
      const tags = findErbTags(text);
      for (let i = 0; i < text.length; i++) {
        if (!tags.some((t) => t.start <= i && i < t.end)) assert.equal(masked[i], text[i], `${name} @${i}`);
      }
      const parsed = JSON.parse(masked);
      assert.equal(typeof parsed, 'object', name);
      assert.ok('family' in parsed, name);
    }
  });

  test('the default v6 web.yml masks to lines of the same lengths, tag lines blank', () => {
    const text = read('v6_web.input.yml');
    const masked = maskErb(text);
    const a = text.split('\n');
    const b = masked.split('\n');
    assert.equal(b.length, a.length);
    for (let i = 0; i < a.length; i++) {
      assert.equal(b[i].length, a[i].length);
      if (/^<% (if|end)/.test(a[i])) assert.equal(b[i].trim(), '');
    }
    // `<%= @image %>` (13 characters) stands for a value; `<%= @awslogs_group %>` (21) sits in a string.
    assert.ok(b.includes('  image: "' + 'x'.repeat(11) + '"'));
    assert.ok(b.includes('      awslogs-group: "' + 'x'.repeat(21) + '"'));
  });
});
