/**
 * TRUST_PROXY → Express's 'trust proxy' value. Unset or 'false': the socket address is the client,
 * whatever X-Forwarded-For says. 'true': every proxy; a number: that many hops; otherwise a
 * comma-separated list of addresses, subnets or the names loopback / linklocal / uniquelocal.
 */
export function trustProxySetting(raw: string | undefined): boolean | number | string[] {
  const value = raw?.trim();
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
