const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');

/**
 * Jest's node environment, on a context made with `vm.constants.DONT_CONTEXTIFY` (Node ≥ 20.18,
 * 22.8): an ordinary global object. Through the interceptors of a contextified one, every read of a
 * global (`Math`, `Object`, `Buffer`, …) costs some 50 times more on Node 20 — CPU that the suites
 * making thousands of requests paid in axios, rxjs, the library and the mock server. Otherwise jest's
 * own environment, except that its teardown no longer deletes the globals a test file set (they go
 * with the context). Older Node: jest's environment as it is.
 */
class NodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    const plain = vm.constants?.DONT_CONTEXTIFY;
    const createContext = vm.createContext;
    // jest-environment-node calls vm.createContext once, in its constructor
    if (plain !== undefined) vm.createContext = () => createContext(plain);
    try {
      super(config, context);
    } finally {
      vm.createContext = createContext;
    }
  }
}

module.exports = NodeEnvironment;
