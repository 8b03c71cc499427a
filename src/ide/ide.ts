import path from 'node:path';
import express, { type Response, type Router } from 'express';

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/** Third-party assets, served from the project's own dependencies (no CDN: agency networks are often closed). */
const files: Record<string, string> = {
  'react.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': path.join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': path.join(packageDir('graphiql'), 'graphiql.min.css'),
};

/** The page's own style, served as a file so that the Content-Security-Policy needs no inline styles. */
const ideCss = `html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
#bar { display: flex; gap: 8px; align-items: center; box-sizing: border-box; height: 40px; padding: 6px 10px; background: #0b2540; color: #fff; font-size: 14px; }
#bar strong { margin-right: 12px; }
#token { flex: 1; font-family: monospace; font-size: 12px; padding: 4px 6px; }
#status { min-width: 9em; }
#graphiql { height: calc(100% - 40px); }
`;

/**
 * The page's own script, served as a file so that the Content-Security-Policy allows scripts from 'self' only.
 * The token is kept in the tab's session storage and sent as a bearer token with every request.
 */
const ideJs = `(function () {
  'use strict';
  var input = document.getElementById('token');
  var status = document.getElementById('status');
  input.value = sessionStorage.getItem('krug.token') || '';
  function show() { status.textContent = input.value.trim() ? 'token set' : 'no token'; }
  input.addEventListener('input', function () { sessionStorage.setItem('krug.token', input.value.trim()); show(); });
  show();
  function fetcher(params) {
    var headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
    var token = input.value.trim().replace(/^Bearer\\s+/i, '');
    if (token) headers.Authorization = 'Bearer ' + token;
    return fetch(location.pathname, { method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'omit' })
      .then(function (response) {
        return response.text().then(function (text) {
          try { return JSON.parse(text); } catch (e) { return { errors: [{ message: 'HTTP ' + response.status + ': ' + text.slice(0, 200) }] }; }
        });
      });
  }
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    defaultQuery: '# Paste a token above, then run (Ctrl-Enter).\\n{\\n  viewer { subject roles agency { name kind } }\\n  regions { code name }\\n}\\n'
  }));
})();
`;

const generated: Record<string, { type: string; body: string }> = {
  'ide.js': { type: 'text/javascript; charset=utf-8', body: ideJs },
  'ide.css': { type: 'text/css; charset=utf-8', body: ideCss },
};

/** Every URL the page loads: all on this server. */
export const IDE_ASSETS = [...Object.keys(files), ...Object.keys(generated)].map((name) => `/ide/assets/${name}`);

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Krug — GraphQL IDE</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ide/assets/graphiql.css">
<link rel="stylesheet" href="/ide/assets/ide.css">
</head>
<body>
<div id="bar">
  <strong>Krug</strong>
  <label for="token">Bearer token</label>
  <input id="token" type="password" autocomplete="off" spellcheck="false" placeholder="paste a token (npm run token)">
  <span id="status"></span>
</div>
<div id="graphiql">Loading…</div>
<script src="/ide/assets/react.js"></script>
<script src="/ide/assets/react-dom.js"></script>
<script src="/ide/assets/graphiql.js"></script>
<script src="/ide/assets/ide.js"></script>
</body>
</html>
`;

/**
 * Scripts only from this server, no inline script, no eval. Styles allow 'unsafe-inline' because GraphiQL's
 * editors and popovers position themselves with style attributes; fonts and icons are data: URLs in graphiql.css.
 */
export const IDE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function secure(res: Response): Response {
  return res.set({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
}

/**
 * The analysts' IDE: GraphiQL served from the project's own dependencies (works on a closed network),
 * with a field for the bearer token.
 */
export function ideRouter(): Router {
  const router = express.Router();
  router.get('/ide/assets/:name', (req, res) => {
    const name = req.params.name;
    const own = generated[name];
    if (own) {
      secure(res).type(own.type).set('cache-control', 'no-cache').send(own.body);
      return;
    }
    const file = files[name];
    if (!file) {
      res.status(404).end();
      return;
    }
    secure(res).sendFile(file, { maxAge: '1d' });
  });
  // A browser asking for HTML gets the IDE; GraphQL clients (GET with a query) go on to the API.
  router.get('/graphql', (req, res, next) => {
    const wantsHtml = req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
    if (!wantsHtml || req.query.query !== undefined) return next();
    secure(res).type('html').set({ 'content-security-policy': IDE_CONTENT_SECURITY_POLICY, 'cache-control': 'no-cache', vary: 'Accept' }).send(page);
  });
  return router;
}
