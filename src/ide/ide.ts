import path from 'node:path';
import express, { type Router } from 'express';

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const assets: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
};

/**
 * The analysts' IDE: GraphiQL served from the project's own dependencies (no CDN, works on a closed network),
 * with a field for the bearer token that is sent with every request and kept in the browser's session storage.
 */
const page = `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Krug — GraphQL IDE</title>
<link rel="stylesheet" href="/ide/assets/graphiql.css">
<style>
  html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
  #bar { display: flex; gap: 8px; align-items: center; padding: 6px 10px; background: #0b2540; color: #fff; font-size: 14px; }
  #bar strong { margin-right: 12px; }
  #token { flex: 1; font-family: monospace; font-size: 12px; padding: 4px 6px; }
  #status { min-width: 9em; }
  #graphiql { height: calc(100% - 40px); }
</style>
</head>
<body>
<div id="bar">
  <strong>Krug</strong>
  <label for="token">Bearer token</label>
  <input id="token" type="password" autocomplete="off" placeholder="paste a token (npm run token)">
  <span id="status"></span>
</div>
<div id="graphiql">Loading…</div>
<script src="/ide/assets/react.js"></script>
<script src="/ide/assets/react-dom.js"></script>
<script src="/ide/assets/graphiql.js"></script>
<script>
  (function () {
    var input = document.getElementById('token');
    var status = document.getElementById('status');
    input.value = sessionStorage.getItem('krug.token') || '';
    function show() { status.textContent = input.value ? 'token set' : 'no token'; }
    input.addEventListener('input', function () { sessionStorage.setItem('krug.token', input.value.trim()); show(); });
    show();
    function fetcher(params) {
      var headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
      var token = input.value.trim();
      if (token) headers.Authorization = 'Bearer ' + token;
      return fetch(location.pathname, { method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'omit' })
        .then(function (response) { return response.json(); });
    }
    var root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      defaultQuery: '# Paste a token above, then run (Ctrl-Enter).\\n{\\n  viewer { subject roles agency { name kind } }\\n  regions { code name }\\n}\\n'
    }));
  })();
</script>
</body>
</html>`;

export function ideRouter(): Router {
  const router = express.Router();
  router.get('/ide/assets/:name', (req, res) => {
    const file = assets[req.params.name];
    if (!file) {
      res.status(404).end();
      return;
    }
    res.sendFile(file, { maxAge: '1d' });
  });
  // A browser asking for HTML gets the IDE; GraphQL clients (GET with a query) go on to the API.
  router.get('/graphql', (req, res, next) => {
    const wantsHtml = req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
    if (!wantsHtml || req.query.query !== undefined) return next();
    res.type('html').set('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'").send(page);
  });
  return router;
}
