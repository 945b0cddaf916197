import { describeWhitespaceRecovery } from '../support/whitespaceRecovery';

// the 'exact' strategy; the others are in recoveryWhitespace*.spec.ts beside this file
describeWhitespaceRecovery('exact');
