import express, { type Express } from 'express';
import type { Config } from './platform/config.js';
import type { Translator } from './platform/i18n.js';
import type { Logger } from './platform/logger.js';
import { errorHandler, notFoundHandler } from './platform/http/errorHandler.js';
import { setUpBodyParsing } from './platform/http/setUpBodyParsing.js';
import { setUpDatabaseGate } from './platform/http/setUpDatabaseGate.js';
import { setUpHealthChecks } from './platform/http/setUpHealthChecks.js';
import { setUpMetrics } from './platform/http/setUpMetrics.js';
import { setUpLanguage } from './platform/http/setUpLanguage.js';
import { setUpRequestLogging } from './platform/http/setUpRequestLogging.js';
import { setUpStaticResources } from './platform/http/setUpStaticResources.js';
import { setUpWebSecurity } from './platform/http/setUpWebSecurity.js';
import { routes } from './features/routes.js';
import type { Services } from './compose.js';
import { setUpViews } from './platform/views.js';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  translator: Translator;
  services: Services;
}

export function createApp({ config, logger, translator, services }: AppDependencies): Express {
  const app = express();
  const development = config.env === 'development';
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  setUpViews(app, { agencyName: config.agencyName, development, timeZone: config.agencyTimeZone });

  app.use(setUpRequestLogging(logger));
  app.use(setUpWebSecurity(config.production));
  app.use(setUpStaticResources());
  app.use(setUpHealthChecks(services.health));
  app.use(setUpMetrics(services.operations, config.metricsToken));
  app.use(setUpLanguage(translator, config.production));
  app.use(setUpDatabaseGate(services.health));
  app.use(setUpBodyParsing());
  app.use(routes(services, config));
  app.use(notFoundHandler);
  app.use(errorHandler(logger, development));
  return app;
}
