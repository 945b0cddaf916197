import type { ChatMessage } from './types/chatMessage';

/**
 * The text of a message's content: the string itself, or its text parts joined (images and files
 * have no text); `''` for none.
 *
 * @example
 * messageText({ role: 'user', content: [{ type: 'text', text: 'What is on ' }, { type: 'image', url: 'https://…' }, { type: 'text', text: 'this?' }] });
 * // 'What is on this?'
 */
export function messageText({ content }: Pick<ChatMessage, 'content'>): string {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  let text = '';
  for (const part of content) if (part.type === 'text') text += part.text;
  return text;
}
