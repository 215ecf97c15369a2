// Types for ensure-deps.mjs (plain JavaScript: it runs before dependencies exist).
export const ROOT: string;
export function ensureDependencies(): void;
export function adminUiBuildNeeded(): boolean;
export function ensureAdminUiBuilt(): void;
