// @ts-check

/**
 * Project settings changed from the portal, beyond what `environments` holds (branch,
 * auto-deploy, domains): environment variables, replicas and autoscaling per environment, and
 * the changes themselves as events the Overview shows.
 *
 * `variables` is JSON: `[{ name, secret, value? }]`. A secret variable's value lives in Vault
 * only; this table keeps its name. `project_settings_events` messages name variables, never
 * their values.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environment_settings', table => {
    table.comment('Per environment: variables, replicas, autoscaling');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table
      .text('variables')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON [{ name, secret, value? }]; never a secret value');
    table.integer('replicas').nullable();
    table.integer('min_replicas').nullable();
    table.integer('max_replicas').nullable();
    table.integer('target_cpu_percent').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'environment']);
  });
  await knex.schema.createTable('project_settings_events', table => {
    table.comment('Changes to project settings, shown on the project');
    table.bigIncrements('seq').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).nullable();
    table.string('action', 64).notNullable();
    table.text('message').notNullable();
    table.string('actor', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'seq'], 'project_settings_events_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('project_settings_events');
  await knex.schema.dropTable('environment_settings');
};
