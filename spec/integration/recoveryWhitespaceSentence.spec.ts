import { describeWhitespaceRecovery } from '../support/whitespaceRecovery';

// the 'sentence' strategy; the others are in recoveryWhitespace*.spec.ts beside this file
describeWhitespaceRecovery('sentence');
