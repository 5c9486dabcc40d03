// n8n loads the package through the "n8n" block of package.json; this entry point exists so that
// `require('n8n-nodes-threatlocker')` resolves for tooling.
module.exports = {};
