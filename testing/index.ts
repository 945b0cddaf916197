export { startMockServer } from './mockServer';
export type { Route, RouteInput, RouteResult } from './route';
export type { MockServer, MockServerOptions, MockRequest, MockRequestEnd } from './mockServer';
export { mockBaseURL } from './mockBaseURL';
export { answerFor, tokenize, hashText, seededRandom } from './mockModel';
export type { MockMessage, MockTool, MockToolCall, MockTurn } from './mockModel';
