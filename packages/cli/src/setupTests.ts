// Times print in the local zone; tests read them in UTC.
process.env.TZ = 'UTC';
