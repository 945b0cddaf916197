import { describeWhitespaceRecovery } from '../support/whitespaceRecovery';

// the 'paragraph' strategy; the others are in recoveryWhitespace*.spec.ts beside this file
describeWhitespaceRecovery('paragraph');
