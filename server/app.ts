import express, { type Express } from 'express';
import type { Config } from './config.js';
import type { Translator } from './i18n.js';
import type { Logger } from './logger.js';
import { errorHandler, notFoundHandler } from './middleware/errorHandler.js';
import { setUpBodyParsing } from './middleware/setUpBodyParsing.js';
import { setUpDatabaseGate } from './middleware/setUpDatabaseGate.js';
import { setUpHealthChecks } from './middleware/setUpHealthChecks.js';
import { setUpMetrics } from './middleware/setUpMetrics.js';
import { setUpLanguage } from './middleware/setUpLanguage.js';
import { setUpRequestLogging } from './middleware/setUpRequestLogging.js';
import { setUpStaticResources } from './middleware/setUpStaticResources.js';
import { setUpWebSecurity } from './middleware/setUpWebSecurity.js';
import { routes } from './routes/index.js';
import type { Services } from './services/index.js';
import { setUpViews } from './views.js';

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
