/**
 * The mock model's answers with code: when the prompt asks for code, it answers with one fenced
 * block per language the prompt names (TypeScript when it names none), between two sentences —
 * deterministic, so a test can compute the blocks.
 */

/** One small program per language the mock knows, without fences. */
export const MOCK_SNIPPETS: Readonly<Record<string, string>> = {
  typescript: 'export function countWords(text: string): number {\n  return text.split(/\\s+/).filter(Boolean).length;\n}\n',
  javascript: 'const total = (xs) => xs.reduce((sum, x) => sum + x, 0);\nconsole.log(total([1, 2, 3]));\n',
  python: 'def count_words(text):\n    return len(text.split())\n\nprint(count_words("streams are values over time"))\n',
  bash: 'find . -type f -name "*.ts" | wc -l\n',
  rust: 'fn main() {\n    let answer = 6 * 7;\n    println!("{answer}");\n}\n',
  sql: 'SELECT model, COUNT(*) AS answers\nFROM chats\nGROUP BY model\nORDER BY answers DESC;\n',
};

/** How a prompt names each language (first mention first). */
const NAMES: ReadonlyArray<[string, RegExp]> = [
  ['typescript', /\b(typescript|ts)\b/i],
  ['javascript', /\b(javascript|js|node)\b/i],
  ['python', /\b(python|py)\b/i],
  ['bash', /\b(bash|shell|sh)\b/i],
  ['rust', /\brust\b/i],
  ['sql', /\bsql\b/i],
];

/** Whether the prompt asks for code ("Show me the code …", "a snippet …"). */
export function asksForCode(prompt: string): boolean {
  return /\b(code|snippet)\b/i.test(prompt);
}

/**
 * The answer to a prompt that asks for code: a sentence, then a fenced block per language named
 * (in the order the prompt names them; ```` ``` ```` fences, `~~~` when the prompt says "tildes"),
 * then a closing sentence. A prompt that says "unfinished" gets an answer that stops inside its
 * last block, with no closing fence, as a model cut by its token limit does.
 *
 * @example
 * codeAnswer('Show me the code in Python');
 * // 'Here is the code.\n\n```python\ndef count_words(text):\n…\n```\n\nRun it and adjust it to your data.'
 */
export function codeAnswer(prompt: string): string {
  const named = NAMES.map(([language, pattern]) => ({ language, at: prompt.search(pattern) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at)
    .map(({ language }) => language);
  const languages = named.length > 0 ? named : ['typescript'];
  const fence = /\btildes?\b/i.test(prompt) ? '~~~' : '```';
  const unfinished = /\bunfinished\b/i.test(prompt);
  const blocks = languages.map((language, i) => {
    const last = i === languages.length - 1;
    return `${fence}${language}\n${MOCK_SNIPPETS[language]}${unfinished && last ? '' : fence}`;
  });
  const body = blocks.join('\n\nThe same idea in another language:\n\n');
  return unfinished ? `Here is the code.\n\n${body}` : `Here is the code.\n\n${body}\n\nRun it and adjust it to your data.`;
}
