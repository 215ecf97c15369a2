import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AppDeps } from './deps';
import { AppError, errorMiddleware } from './errors';
import { installSessionResolver, sessionResolver } from './middleware/auth';
import { noStoreWhenSignedIn, refuseHostileBody, refuseHostileUrl, requestIdOf, requireUtf8Body } from './middleware/hostile-input';
import { trustProxySetting } from './middleware/trust-proxy';
import { apiRoutes } from './routes/index';
import './routes/documents-openapi';
import { healthRoutes } from './routes/health';
import { metricsRoutes, observeRequests } from './metrics';

const UI_DIST = path.resolve(__dirname, '../admin-ui/dist');

/** The whole HTTP app, without listen(): tests run it in-process on port 0. */
export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (none by default).
  app.set('trust proxy', trustProxySetting(deps.config.TRUST_PROXY));
  installSessionResolver(app, sessionResolver(deps.db));
  app.use(observeRequests());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = requestIdOf(req.headers['x-request-id'], randomUUID);
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"] },
      },
    }),
  );
  // gzip/brotli for the console bundle and JSON lists (the bundle is ~1 MB uncompressed).
  app.use(compression());
  app.use(cors({ origin: deps.config.CORS_ORIGIN ?? false, exposedHeaders: ['Content-Range', 'X-Total-Count'] }));
  app.use(healthRoutes(deps));
  app.use(metricsRoutes(deps));
  app.use(
    '/api',
    refuseHostileUrl,
    noStoreWhenSignedIn,
    express.json({ limit: deps.config.BODY_LIMIT, verify: requireUtf8Body }),
    refuseHostileBody,
    apiRoutes(deps),
  );
  app.use('/api', (_req, _res, next) => next(AppError.notFound('接口 / Endpoint')));

  if (fs.existsSync(UI_DIST)) {
    app.use(express.static(UI_DIST, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/).*/, (_req, res) => res.sendFile(path.join(UI_DIST, 'index.html')));
  }
  app.use(errorMiddleware(deps.logger));
  return app;
}
