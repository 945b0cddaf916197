import { fixtureNames } from '../support/fixtures';
import { describeOpenAIStyleConformance } from '../support/openaiStyleConformance';

describe('Perplexity conformance on recorded streams', () => {
  describeOpenAIStyleConformance(fixtureNames('perplexity-'), 'perplexity');
});
