/** The login form of index.html, run by public/login.js before the bundle (see layout/LoginPage.tsx). */
interface Window {
  jltLogin?: {
    /** Shows the form for the console's login route; returns the function that hides it again. */
    attach(handlers: {
      locale: string;
      onSignedIn(session: { token: string; refreshToken: string; user: Record<string, unknown> }): void;
      onLocale(locale: string): void;
    }): () => void;
  };
}
