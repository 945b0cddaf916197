// jest's globalSetup: compiles the TypeScript sources into the transform's cache in this one
// process, so that the workers, starting together, do not each compile them (scripts/jestTransform.js)
module.exports = () => require('./jestTransform').precompile();
