import * as t from 'io-ts';
import { map, type MonoTypeOperatorFunction } from 'rxjs';
import { checkConfig } from '../../lib/codec/checkConfig';
import { refined } from '../../lib/codec/readable';
import type { Chunk } from '../../lib/types/chunk';
import type { Citation } from '../../lib/types/citation';

/** Why a source URL failed the check. */
export type InvalidSourceReason =
  /** not a URL at all, blanks or control characters in it, or no host */
  | 'malformed'
  /** a scheme other than http and https (`javascript:`, `ftp:`, `file:`, …) */
  | 'not-http'
  /** a user name or password in it (`https://user:pass@host/`) */
  | 'credentials'
  /** its host is on the `deny` list (or under a domain on it) */
  | 'denied'
  /** an `allow` list is given and its host is not on it */
  | 'not-allowed';

/** One source that failed, as `metadata.invalidSources` / `metadata.droppedSources` list it. */
export interface InvalidSource {
  /** the URL, with any credentials in it replaced by `***` */
  url: string;
  reason: InvalidSourceReason;
  /** its number in the answer's `[n]` markers (1-based position in the stream's citations) */
  index: number;
}

/** A source `onInvalid: 'drop'` removed from `citations`. */
export type DroppedSource = InvalidSource;

/** A domain name like `example.com` (a leading `*.` or `.` and a trailing dot are allowed). */
const DomainName = refined(t.string, "a domain name like 'example.com'", (s) => hostOf(s) !== '');

/** The configuration of `validateSources` (also the `validateSources` option of the Perplexity provider, or `true`). */
export const ValidateSourcesConfig = t.partial(
  {
    /** only sources on these domains (and their subdomains) pass, e.g. `['wikipedia.org', 'ruby-lang.org']` */
    allow: t.readonlyArray(DomainName),
    /** sources on these domains (and their subdomains) fail; `deny` wins over `allow` */
    deny: t.readonlyArray(DomainName),
    /** `'report'` (default): list the invalid ones in `metadata.invalidSources`; `'drop'`: remove them from `citations` and list them in `metadata.droppedSources` */
    onInvalid: t.keyof({ report: null, drop: null }, "'report' or 'drop'"),
  },
  '{ allow?, deny?, onInvalid? }',
);
export type ValidateSourcesConfig = t.TypeOf<typeof ValidateSourcesConfig>;

/**
 * Checks every source URL of the stream's `citations`: a well-formed http(s) URL with a host, no
 * credentials in it, and — when lists are given — a host on the `allow` list and not on the `deny`
 * list (a domain covers its subdomains: `wikipedia.org` covers `en.wikipedia.org`, not
 * `notwikipedia.org`). On the chunk that carries the citations, with `onInvalid: 'report'` the
 * invalid ones are listed in `metadata.invalidSources = [{ url, reason, index }]` and kept; with
 * `'drop'` they are removed from `citations` and listed in `metadata.droppedSources` (never
 * silently). `index` is the source's number in the `[n]` markers, which `inlineCitations` keeps.
 * Chunks without citations pass untouched; one chunk in, one chunk out.
 *
 * ```
 * chunks:  --a--b--c--|     a.citations: [https://ok.example, javascript:alert(1)]
 * validateSources({ onInvalid: 'drop' })
 * chunks:  --a'-b--c--|     a'.citations: [https://ok.example]
 *                           a'.metadata.droppedSources: [{ url: 'javascript:alert(1)', reason: 'not-http', index: 2 }]
 * ```
 *
 * @example
 * streamChat$('perplexity', messages, { validateSources: { deny: ['youtube.com'], onInvalid: 'drop' } });
 * // by hand
 * source$.pipe(validateSources({ allow: ['wikipedia.org', 'ruby-lang.org'] }));
 *
 * @param config the domain lists, and what to do with an invalid source
 * @see inlineCitations
 */
export function validateSources(config: ValidateSourcesConfig = {}): MonoTypeOperatorFunction<Chunk> {
  const { allow, deny, onInvalid = 'report' } = checkConfig(ValidateSourcesConfig, config, 'validateSources config');
  const allowed = allow?.map(hostOf);
  const denied = deny?.map(hostOf) ?? [];

  return map((chunk: Chunk): Chunk => {
    if (!chunk.citations?.length) return chunk;
    const invalid: InvalidSource[] = [];
    const kept: Citation[] = [];
    chunk.citations.forEach((citation, i) => {
      // a citation of a document the request sent has no URL: nothing to check
      if (citation.url === undefined) return void kept.push(citation);
      const problem = sourceProblem(citation.url, allowed, denied);
      if (problem) invalid.push({ url: withoutCredentials(citation.url), reason: problem, index: i + 1 });
      if (!problem || onInvalid === 'report') kept.push(citation);
    });
    if (invalid.length === 0) return chunk;
    const out: Chunk = { ...chunk, metadata: { ...chunk.metadata, [onInvalid === 'drop' ? 'droppedSources' : 'invalidSources']: invalid } };
    if (kept.length > 0) out.citations = kept;
    else delete out.citations;
    return out;
  });
}

/** What is wrong with a source URL, or `undefined`. */
function sourceProblem(raw: string, allowed: readonly string[] | undefined, denied: readonly string[]): InvalidSourceReason | undefined {
  if (typeof raw !== 'string' || /[\s\u0000-\u001f\u007f]/.test(raw)) return 'malformed';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'malformed';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not-http';
  const host = url.hostname.replace(/\.$/, '');
  if (host === '') return 'malformed';
  if (url.username !== '' || url.password !== '') return 'credentials';
  if (denied.some((domain) => onDomain(host, domain))) return 'denied';
  if (allowed && !allowed.some((domain) => onDomain(host, domain))) return 'not-allowed';
  return undefined;
}

const onDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** The domain name, normalised as URL hosts are (lower case, punycode); `''` when it is none. */
function hostOf(entry: string): string {
  const bare = entry.trim().replace(/^\*?\./, '').replace(/\.$/, '');
  try {
    return bare && !/[/:@?#\s]/.test(bare) ? new URL(`http://${bare}`).hostname : '';
  } catch {
    return '';
  }
}

/** The URL with its user name and password replaced, so that no credential is repeated in metadata. */
function withoutCredentials(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}
