/**
 * The reasoning text of Perplexity's `reasoning_steps` (`stream_mode: "concise"`): each step's
 * `thought`, one per line. A step without a thought adds nothing; a bare string (as some pages
 * describe the field) is a thought of its own.
 *
 * @example
 * convertPerplexityReasoningSteps([{ thought: 'Searching the web for Seattle weather...', type: 'web_search', web_search: { search_keywords: ['Seattle weather'] } }]);
 * // 'Searching the web for Seattle weather...\n'
 */
export function convertPerplexityReasoningSteps(steps: unknown): string {
  if (typeof steps === 'string') return steps ? `${steps}\n` : '';
  if (!Array.isArray(steps)) return '';
  let text = '';
  for (const step of steps) {
    const thought = typeof step === 'string' ? step : step && typeof step === 'object' ? (step as { thought?: unknown }).thought : undefined;
    if (typeof thought === 'string' && thought !== '') text += `${thought}\n`;
  }
  return text;
}
