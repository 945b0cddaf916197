const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites known to take longest, longest first. Jest starts them first, so no worker is left
 * with a long suite at the end of the run. Jest's own order (failed last time, then the durations
 * its cache remembers, else file size) decides among the rest; a clean clone has no cache, and file
 * size says little here (recoveryWhitespace.spec.ts is short and the slowest).
 */
const SLOW_FIRST = [
  'spec/integration/recoveryWhitespace.spec.ts',
  'spec/integration/recoveryWhitespaceSentence.spec.ts',
  'spec/integration/recoveryWhitespaceParagraph.spec.ts',
  'spec/integration/recovery.spec.ts',
  'spec/cli/cli.spec.ts',
  'spec/redis/resumeAcrossProcesses.spec.ts',
  'spec/providers/mistralFeatures.spec.ts',
  'spec/packaging/builtPackage.spec.ts',
  'spec/reliability/cancellation.spec.ts',
  'spec/packaging/packageHygiene.spec.ts',
  'spec/packaging/angularExample.spec.ts',
  'spec/reliability/faultMatrix.spec.ts',
  'spec/testing/mockFaults.spec.ts',
  'spec/redis/sharedRateLimitProcesses.spec.ts',
  'spec/reliability/hostileInput.spec.ts',
  'spec/browser/browser.spec.ts',
  'spec/browser/angularExample.spec.ts',
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const path = test.path.split('\\').join('/');
      const at = SLOW_FIRST.findIndex((suite) => path.endsWith(`/${suite}`));
      return at < 0 ? SLOW_FIRST.length : at;
    };
    // Array.prototype.sort is stable: jest's order stays among suites of the same rank
    return [...super.sort(tests)].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
