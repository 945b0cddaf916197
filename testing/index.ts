export { startMockServer } from './mockServer';
export type { Route, RouteInput, RouteResult, StreamResult, JsonResult, FramedStream } from './route';
export type { MockServer, MockServerOptions, MockRequest, MockRequestEnd } from './mockServer';
export { asMockFault } from './mockFault';
export type { MockFault, MockStatusFault } from './mockFault';
export { mockBaseURL } from './mockBaseURL';
export { answerFor, continuationOf, promptOf, tokenize, hashText, seededRandom } from './mockModel';
export type { MockAnswerOptions, MockMessage, MockTool, MockToolCall, MockTurn } from './mockModel';
