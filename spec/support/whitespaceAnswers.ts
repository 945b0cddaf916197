/**
 * Answers whose white space matters, as real models write them: indented Python, YAML, nested
 * Markdown lists, a table, code fences after blank lines, tabs, trailing spaces on lines (a Markdown
 * line break), several blank lines in a row, emoji (with surrogate pairs, a skin tone, a ZWJ family)
 * and CJK. A mock answer or a recovered one must give them back byte for byte.
 */

/** One answer with all of it, starting with white space and ending with white space. */
export const WHITESPACE_ANSWER = [
  '  Here is the plan 👍🏽 — step by step:',
  '',
  '1. Parse the config',
  '   - read `config.yaml`  ',
  '     - keep comments',
  '   - validate it',
  '2. Stream the answer',
  '',
  '',
  '',
  '```python',
  'def stream(chunks):',
  '    for chunk in chunks:',
  '        if chunk:',
  '            yield chunk  # keep the spaces',
  '',
  '    return None',
  '```',
  '',
  '```yaml',
  'server:',
  '  port: 8080',
  '  hosts:',
  '    - a.example.com',
  '    - b.example.com',
  '```',
  '',
  '| col | value |',
  '|:----|------:|',
  '| 流式 | 1 |',
  '| 👨‍👩‍👧 | 22 |',
  '',
  'Makefile:',
  'all:',
  '\tnode build.js\t# a tab before the comment',
  '',
  '日本語の文章も、そのまま届きます。 中文也一样：流式传输。',
  'Trailing spaces here   ',
  '\t',
  '',
].join('\n');

/** Answers of the kinds real models write, by kind: code, configuration, a Markdown document, and all of it at once. */
export const WHITESPACE_ANSWERS: Readonly<Record<string, string>> = {
  python: [
    'Here is a function that counts words per line:',
    '',
    '```python',
    'def count_words(lines):',
    '    counts = {}',
    '    for number, line in enumerate(lines, start=1):',
    '        words = line.split()',
    '        if not words:',
    '            continue',
    '',
    '        counts[number] = len(words)',
    '    return counts',
    '',
    '',
    'class Report:',
    '    """Totals, one per file."""',
    '',
    '    def __init__(self, name):',
    '        self.name = name',
    '```',
    '',
    'Call it with `count_words(open(path))` and print the result.',
  ].join('\n'),

  yaml: [
    'A deployment with two containers:',
    '',
    '```yaml',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  labels:',
    '    app: web   # keep in sync with the selector',
    'spec:',
    '  replicas: 3',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: "nginx:1.27"',
    '          ports:',
    '            - containerPort: 80',
    '        - name: sidecar',
    '          command:',
    '            - /bin/sh',
    '            - -c',
    '            - |',
    '              while true; do',
    '                echo alive',
    '                sleep 5',
    '              done',
    '```',
    '',
    'Apply it with `kubectl apply -f web.yaml`.',
  ].join('\n'),

  markdown: [
    '## Release checklist 🚀',
    '',
    '1. Prepare the branch.',
    '   - run npm ci',
    '   - run the tests:',
    '     - unit',
    '     - integration\t(slow)',
    '2. Tag it.  ',
    '   The tag is the version, e.g. `v1.2.0`.',
    '',
    '| step | owner | time |',
    '|------|-------|------|',
    '| build | 👩‍💻 CI | 5 min |',
    '| review | 人 | 1 day |',
    '',
    '> Note: 先测试，再发布。不要跳过。',
    '',
    '```',
    '',
    '    indented inside a fence',
    '```',
    '',
    '',
    'Done — very very very carefully.   ',
  ].join('\n'),

  mixed: WHITESPACE_ANSWER,
};

/** Smaller answers for the edge cases, by what they show. */
export const WHITESPACE_CASES: Record<string, string> = {
  'starts with white space': '\n\n   indented first line\nsecond',
  'ends with white space': 'last line has trailing spaces   \n\n',
  'only white space': ' \t\n \n',
  'tabs and blank lines': 'a\tb\t\tc\n\n\n\n\td',
  'emoji and CJK without spaces': '🙂🙃流式传输👨‍👩‍👧🏁',
  'everything at once': WHITESPACE_ANSWER,
};

/** The points right after every space, tab and line end of `text` (where recovery tests break an answer). */
export function afterWhiteSpace(text: string): number[] {
  const points: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === ' ' || text[i] === '\n' || text[i] === '\t') points.push(i + 1);
  return points;
}
