import { fixtureNames, hasExpectedOpenAIStyle } from '../support/fixtures';
import { describeOpenAIStyleConformance } from '../support/openaiStyleConformance';

describe('LM Studio conformance on recorded streams', () => {
  // the Chat Completions streams; the /api/v1/chat and /v1/responses recordings are other grammars
  // (no reference result), which this provider does not speak
  describeOpenAIStyleConformance(fixtureNames('lmstudio-').filter(hasExpectedOpenAIStyle), 'lmstudio');
});
