// A real OpenID Connect provider (npm oidc-provider) for the single sign-on tests, in its own process:
//   node oidc-provider.mjs <port> <clientId> <clientSecret> <redirectUri>
// Its development login form accepts any login name: that name becomes the subject and preferred_username.
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
  claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
  findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, preferred_username: sub, name: sub }) }),
  pkce: { required: () => true },
  // Skip the consent screen: this test provider trusts its one client.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile');
    grant.addOIDCClaims(['preferred_username', 'name']);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
const server = provider.listen(Number(port), '127.0.0.1', () => console.log(`READY ${issuer}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
