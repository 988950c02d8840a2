// A local OpenID provider: a stand-in for NemLog-in (MitID Erhverv) and the staff IdP, for
// `make run` and the tests. It is the npm package oidc-provider (certified OpenID provider),
// configured with two clients and the demo identities below; only the login page is our own.
//
//   node scripts/oidc_provider/server.mjs   (settings from the environment)
//   OIDC_DEV_PORT      port (default 9400); the issuer is http://127.0.0.1:PORT
//   OIDC_REDIRECT_BASES  the app's base URLs, comma-separated (default http://127.0.0.1:5000)
//   OIDC_TEST_FAULTS=1   lets the "fejl-…" test identities get deliberately broken id_tokens
//                        (wrong iss/aud/nonce, expired, alg none, unknown key): tests only.
import crypto from 'node:crypto';
import http from 'node:http';
import { URLSearchParams } from 'node:url';
import Provider from 'oidc-provider';

const PORT = Number(process.env.OIDC_DEV_PORT || 9400);
const ISSUER = `http://127.0.0.1:${PORT}`;
const BASES = (process.env.OIDC_REDIRECT_BASES || 'http://127.0.0.1:5000')
  .split(',').map((b) => b.trim().replace(/\/$/, '')).filter(Boolean);
const FAULTS = process.env.OIDC_TEST_FAULTS === '1';

const NS = 'https://data.gov.dk/model/core/eid';
const LOA = 'https://data.gov.dk/concept/core/nsis/loa';
const CVR = `${NS}/professional/cvr`;
const UUID = `${NS}/professional/uuid/persistent`;
const ORG = `${NS}/professional/orgName`;

// The demo identities. `sub` is a pseudonymous UUID, as NemLog-in's persistent identifier.
const TILBUD = [
  { id: '7d8e2f1a-0c4b-4e6a-9a51-3f1c2b7d0a11', label: 'medarbejder på Bostedet Åen',
    name: 'Tove Tilbud', email: 'tove.tilbud@mitid-test.example.dk', cvr: '10000009',
    org: 'Bostedet Åen' },
  { id: '3b9c4d2e-5f6a-4b7c-8d9e-0a1b2c3d4e22', label: 'ny organisation uden registreret tilbud',
    name: 'Niels Nyorganisation', email: 'niels.ny@mitid-test.example.dk', cvr: '70000008',
    org: 'Nyt Tilbud ApS' },
  { id: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c33', label: 'for lavt sikringsniveau (NSIS Lav): afvises',
    name: 'Lars Lavniveau', email: 'lars.lav@mitid-test.example.dk', cvr: '10000009',
    org: 'Bostedet Åen', loa: 'Low' },
];
const STAFF = [
  { id: 'c0a80101-0000-4000-8000-000000000001', label: 'konsulent (rolle-claim), demobrugeren konsulent@',
    name: 'Karen Konsulent', email: 'konsulent@indsatsteam.example.dk', roles: ['konsulent'] },
  { id: 'c0a80101-0000-4000-8000-000000000002', label: 'leder (rolle-claim), demobrugeren leder@',
    name: 'Lars Leder', email: 'leder@indsatsteam.example.dk', roles: ['leder'] },
  { id: 'c0a80101-0000-4000-8000-000000000003', label: 'ingen rolle og ikke inviteret: afvises',
    name: 'Ulrik Ukendt', email: 'ukendt@indsatsteam.example.dk', roles: [] },
  { id: 'c0a80101-0000-4000-8000-000000000004', label: 'ingen rolle: kommer ind, når en administrator har inviteret inviteret@indsatsteam.example.dk',
    name: 'Ida Inviteret', email: 'inviteret@indsatsteam.example.dk', roles: [] },
  { id: 'c0a80101-0000-4000-8000-000000000005', label: 'deaktiveret bruger: afvises',
    name: 'Dennis Deaktiveret', email: 'deaktiveret@indsatsteam.example.dk', roles: ['konsulent'] },
];
const FAULT_NAMES = ['iss', 'aud', 'exp', 'none', 'kid', 'nonce', 'hs256'];
if (FAULTS) {
  for (const fault of FAULT_NAMES) {
    TILBUD.push({ id: `fejl-${fault}`, label: `Test: fejl ${fault}`, name: 'Fejl Test',
      email: `fejl-${fault}@mitid-test.example.dk`, cvr: '10000009', org: 'Bostedet Åen',
      fault });
  }
}
const ACCOUNTS = new Map([...TILBUD, ...STAFF].map((a) => [a.id, a]));

function keyPair() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  jwk.kid = crypto.randomBytes(8).toString('hex');
  jwk.alg = 'RS256';
  jwk.use = 'sig';
  return { privateKey, jwk };
}
const signing = keyPair();
const stranger = keyPair(); // never published: the "unknown key" fault signs with it

const clientSecret = (name) => process.env[`OIDC_${name.toUpperCase()}_CLIENT_SECRET`]
  || `dev-${name}-secret`;
const clients = ['tilbud', 'staff'].map((name) => ({
  client_id: `indsatsteam-${name}`,
  client_secret: clientSecret(name),
  redirect_uris: BASES.map((b) => `${b}/log-ind/oidc/${name}/retur`),
  post_logout_redirect_uris: BASES.map((b) => `${b}/`),
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
}));

const page = (title, body) => `<!doctype html><html lang="da"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
fieldset{border:1px solid #747474;padding:1rem}label{display:block;margin:.5rem 0}
button{font-size:1rem;padding:.5rem 1rem;background:#0059b3;color:#fff;border:0;margin-top:1rem}
.note{background:#fff4d6;padding:.5rem 1rem;border-left:4px solid #b25f00}</style></head>
<body><main>${body}</main></body></html>`;
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const configuration = {
  clients,
  jwks: { keys: [signing.jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  acrValues: [`${LOA}/Low`, `${LOA}/Substantial`, `${LOA}/High`],
  scopes: ['openid', 'email', 'profile', 'nemlogin', 'roles'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    nemlogin: [CVR, UUID, ORG],
    roles: ['roles'],
  },
  conformIdTokenClaims: false, // the scope's claims in the id_token, as NemLog-in sends them
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource(ctx, form) {
        ctx.body = page('Log ud', `<h1>Log ud hos test-udbyderen</h1>${form}
<p>Du er ved at logge ud af den lokale test-udbyder.</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Log ud</button>`);
      },
      postLogoutSuccessSource(ctx) {
        ctx.body = page('Logget ud', '<h1>Du er logget ud</h1>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = ACCOUNTS.get(id);
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, name: account.name, email: account.email,
          email_verified: true };
        if (account.cvr) Object.assign(claims, { [CVR]: account.cvr, [UUID]: id, [ORG]: account.org });
        if (account.roles) claims.roles = account.roles;
        return claims;
      },
    };
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Fejl', `<h1>Der opstod en fejl</h1><p>${esc(out.error)}: ${esc(out.error_description || '')}</p>`);
  },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600 },
};

const provider = new Provider(ISSUER, configuration);

// --- the test-only faults: the token endpoint's id_token, re-signed broken -----------------
const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
function sign(header, payload, key) {
  const input = `${b64(header)}.${b64(payload)}`;
  if (header.alg === 'none') return `${input}.`;
  if (header.alg === 'HS256') {
    return `${input}.${crypto.createHmac('sha256', clientSecret('tilbud')).update(input).digest('base64url')}`;
  }
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
if (FAULTS) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== '/token' || !ctx.body || !ctx.body.id_token) return;
    const payload = JSON.parse(Buffer.from(ctx.body.id_token.split('.')[1], 'base64url'));
    const fault = ACCOUNTS.get(payload.sub)?.fault;
    if (!fault) return;
    let header = { alg: 'RS256', kid: signing.jwk.kid, typ: 'JWT' };
    let key = signing.privateKey;
    const now = Math.floor(Date.now() / 1000);
    if (fault === 'iss') payload.iss = 'http://127.0.0.1:1/falsk-udsteder';
    if (fault === 'aud') payload.aud = 'en-anden-klient';
    if (fault === 'exp') { payload.iat = now - 7200; payload.exp = now - 3600; }
    if (fault === 'nonce') payload.nonce = 'en-anden-nonce';
    if (fault === 'none') header = { alg: 'none', typ: 'JWT' };
    if (fault === 'hs256') header = { alg: 'HS256', kid: signing.jwk.kid, typ: 'JWT' };
    if (fault === 'kid') { header = { alg: 'RS256', kid: stranger.jwk.kid, typ: 'JWT' }; key = stranger.privateKey; }
    ctx.body = { ...ctx.body, id_token: sign(header, payload, key) };
  });
}

// --- our login page (accessible: labels, lang="da") ---------------------------------------
async function readForm(req) {
  let data = '';
  for await (const chunk of req) data += chunk;
  return new URLSearchParams(data);
}

// The login form carries a token only this process can make for this interaction, so no
// other page can post a login into somebody's browser (login CSRF).
const FORM_KEY = crypto.randomBytes(32);
const formToken = (uid) => crypto.createHmac('sha256', FORM_KEY).update(uid).digest('base64url');
const validToken = (uid, token) => {
  const want = Buffer.from(formToken(uid));
  const got = Buffer.from(String(token || ''));
  return got.length === want.length && crypto.timingSafeEqual(got, want);
};

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  const tilbudClient = details.params.client_id === 'indsatsteam-tilbud';
  if (req.method === 'GET') {
    const accounts = tilbudClient ? TILBUD : STAFF;
    const heading = tilbudClient ? 'Log ind med MitID Erhverv (test)' : 'Log ind som medarbejder (test)';
    const options = accounts.map((a, i) => `<label><input type="radio" name="account" value="${esc(a.id)}"${i === 0 ? ' checked' : ''}> ${esc(a.name)}: ${esc(a.label)}</label>`).join('\n');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(heading, `<h1>${heading}</h1>
<p class="note">Dette er en lokal test-udbyder, der står i stedet for ${tilbudClient ? 'NemLog-in' : 'organisationens identitetsudbyder'}. Der er ingen adgangskode: vælg en testidentitet.</p>
<form method="post" action="/interaction/${esc(uid)}/login">
<input type="hidden" name="csrf_token" value="${formToken(uid)}"><fieldset><legend>Vælg testidentitet</legend>
${options}</fieldset><button type="submit">Log ind</button></form>`));
    return;
  }
  const form = await readForm(req);
  if (!validToken(uid, form.get('csrf_token'))) {
    res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page('Formularen er udløbet', '<h1>Formularen er udløbet</h1><p>Start forfra med at logge ind.</p>'));
    return;
  }
  const account = ACCOUNTS.get(form.get('account') || '');
  if (!account) {
    res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page('Ukendt identitet', '<h1>Ukendt testidentitet</h1>'));
    return;
  }
  const grant = new provider.Grant({ accountId: account.id, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  const acr = tilbudClient ? `${LOA}/${account.loa || 'Substantial'}` : undefined;
  await provider.interactionFinished(req, res, {
    login: { accountId: account.id, ...(acr ? { acr } : {}) },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

const handler = provider.callback();
const server = http.createServer(async (req, res) => {
  if (req.url === '/favicon.ico') { // browsers ask for it; no icon, and no 404 in the console
    res.writeHead(204);
    res.end();
    return;
  }
  const match = req.url.match(/^\/interaction\/([\w-]+)(\/login)?$/);
  if (match) {
    try {
      await interaction(req, res, match[1]);
    } catch (err) {
      if (res.headersSent) { // the answer had begun: end it rather than throw again
        res.end();
        return;
      }
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Fejl', `<h1>Login-forløbet er udløbet</h1><p>${esc(err.message)}</p>`));
    }
    return;
  }
  handler(req, res);
});
server.listen(PORT, '127.0.0.1', () => {
  const list = (accounts) => accounts.filter((a) => !a.fault)
    .map((a) => `    ${a.name}: ${a.label}${a.cvr ? ` (CVR ${a.cvr})` : ''}`).join('\n');
  console.log(`  OpenID-test-udbyder (i stedet for NemLog-in og medarbejderlogin) på ${ISSUER}
  Testidentiteter under "Log ind med MitID Erhverv (test)":
${list(TILBUD)}
  Testidentiteter under "Log ind som medarbejder (test)":
${list(STAFF)}`);
});
// One bad request must not take the provider down for everybody else: log it and go on.
process.on('unhandledRejection', (err) => console.error('Uventet fejl:', err));
process.on('uncaughtException', (err) => console.error('Uventet fejl:', err));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
