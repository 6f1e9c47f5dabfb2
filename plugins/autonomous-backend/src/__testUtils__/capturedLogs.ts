import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';

/** A root logger that keeps every line (message and fields) its children log, for a test to read. */
export function capturedLogs() {
  const lines: string[] = [];
  const make = (fields: Record<string, unknown>): RootLoggerService => {
    const write =
      (level: string) => (message: string, meta?: Error | object) => {
        lines.push(
          `${level} ${message} ${JSON.stringify({ ...fields, ...meta })}`,
        );
      };
    const logger: LoggerService & RootLoggerService = {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (meta: Record<string, unknown>) => make({ ...fields, ...meta }),
    };
    return logger;
  };
  return {
    lines,
    factory: createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => make({}),
    }),
  };
}
