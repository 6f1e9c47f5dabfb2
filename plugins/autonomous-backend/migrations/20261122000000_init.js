// @ts-check

/**
 * The control plane's own records. No secret value is ever stored here: databases keep only
 * the Vault path of their credentials.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('projects', table => {
    table.comment('Per-project settings that override the entity annotations');
    table.string('entity_ref', 255).primary().notNullable();
    table.string('kind', 32).notNullable();
    table.boolean('auto_deploy').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('environments', table => {
    table.comment('Deployment targets of a project');
    table.string('entity_ref', 255).notNullable();
    table.string('name', 63).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('branch', 255).notNullable();
    table.boolean('auto_deploy').notNullable().defaultTo(false);
    table.text('domains').notNullable().defaultTo('[]');
    table.integer('position').notNullable().defaultTo(0);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'name']);
  });

  await knex.schema.createTable('releases', table => {
    table.comment('Every release of every project, one row each');
    // The sequence orders history (newest first) and is the keyset cursor.
    table.bigIncrements('seq').primary();
    table.string('id', 36).notNullable().unique();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('version', 128).notNullable();
    table.string('ref', 255).nullable();
    table.string('commit_sha', 64).nullable();
    table.text('commit_message').nullable();
    table.string('trigger', 32).notNullable();
    table.string('requested_by', 255).notNullable();
    table.text('reason').nullable();
    table.string('status', 32).notNullable();
    table.string('image_ref', 512).nullable();
    table.string('source_release_id', 36).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'seq'], 'releases_history_idx');
    table.index(
      ['entity_ref', 'environment', 'status'],
      'releases_env_status_idx',
    );
    table.index(['status'], 'releases_status_idx');
  });

  await knex.schema.createTable('release_events', table => {
    table.comment('Each transition of a release, with when and why');
    table.bigIncrements('seq').primary();
    table
      .string('release_id', 36)
      .notNullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('from_status', 32).nullable();
    table.string('to_status', 32).notNullable();
    table.text('message').notNullable();
    table.index(['release_id', 'seq'], 'release_events_release_idx');
  });

  await knex.schema.createTable('database_instances', table => {
    table.comment('Databases provisioned for catalog Resources');
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('name', 63).notNullable();
    table.string('engine', 32).notNullable();
    table.string('version', 32).notNullable();
    table.string('mode', 16).notNullable();
    table.string('environment', 63).notNullable();
    table.string('namespace', 63).notNullable();
    table.integer('storage_gi').notNullable();
    table.string('status', 32).notNullable();
    table.text('status_message').nullable();
    table.string('host', 255).nullable();
    table.integer('port').nullable();
    table.string('database_name', 255).nullable();
    table.string('username', 255).nullable();
    table.string('credentials_path', 512).notNullable();
    table.string('backup_schedule', 255).nullable();
    table.integer('backup_retention_days').notNullable().defaultTo(7);
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['entity_ref', 'environment', 'name'], {
      indexName: 'database_instances_name_uq',
    });
    table.index(['status'], 'database_instances_status_idx');
  });

  await knex.schema.createTable('backups', table => {
    table.comment('Backups of database instances');
    table.string('id', 36).primary();
    table
      .string('database_id', 36)
      .notNullable()
      .references('id')
      .inTable('database_instances')
      .onDelete('CASCADE');
    table.string('trigger', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('location', 1024).nullable();
    table.bigInteger('size_bytes').nullable();
    table.text('message').nullable();
    table.string('requested_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['database_id', 'created_at'], 'backups_database_idx');
  });

  await knex.schema.createTable('webhook_deliveries', table => {
    table.comment('Git webhook deliveries, kept to drop duplicates');
    table.string('provider', 16).notNullable();
    table.string('delivery_id', 128).notNullable();
    table.string('entity_ref', 255).nullable();
    table.string('event', 64).notNullable();
    table.string('outcome', 32).notNullable();
    table.text('detail').nullable();
    table.string('release_id', 36).nullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.primary(['provider', 'delivery_id']);
    table.index(['entity_ref', 'received_at'], 'webhook_deliveries_entity_idx');
  });

  await knex.schema.createTable('audit_events', table => {
    table.comment('Who did what to which project; never a secret value');
    table.bigIncrements('seq').primary();
    table.string('id', 36).notNullable().unique();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('actor', 255).notNullable();
    table.string('action', 128).notNullable();
    table.string('entity_ref', 255).nullable();
    table.string('target', 255).nullable();
    table.string('outcome', 16).notNullable();
    table.text('details').nullable();
    table.index(['entity_ref', 'seq'], 'audit_events_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const name of [
    'audit_events',
    'webhook_deliveries',
    'backups',
    'database_instances',
    'release_events',
    'releases',
    'environments',
    'projects',
  ]) {
    await knex.schema.dropTable(name);
  }
};
