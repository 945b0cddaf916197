import { fixtureNames } from '../support/fixtures';
import { describeOpenAIStyleConformance } from '../support/openaiStyleConformance';

describe('Mistral conformance on recorded streams', () => {
  describeOpenAIStyleConformance(fixtureNames('mistral-'), 'mistral');
});
