// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: the provider. Its
// request builder and decoder stay internal; the server half is `createChatRelay` (the root entry).
export { rxllmRelay } from './rxllmRelay';
