// @ts-check

/**
 * Health gates: Prometheus queries a release must pass for a while after its rollout before it
 * is healthy, per environment, with the environment's automatic-rollback switch.
 *
 * - health_gates: an environment's gates, as set in the project's settings.
 * - health_gate_environments: whether a failed gate rolls the environment back by itself.
 * - release_gate_checks: the gates a release is evaluated against, copied from health_gates
 *   (query already templated) when its window starts, so a change of settings mid-window never
 *   changes what an evaluation means; with when the window started and the verdict.
 * - release_gate_samples: every value observed (or why none was), so a backend killed mid-window
 *   resumes it with what was already seen, and the release drawer can chart it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('health_gates', table => {
    table.comment('The health gates of each environment, in the order shown');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('name', 63).notNullable();
    table.integer('position').notNullable();
    table
      .text('query')
      .notNullable()
      .comment('PromQL with {{namespace}}, {{application}}, {{version}}');
    table.string('comparison', 2).notNullable().comment('<, <=, >, >=, ==, !=');
    table.double('threshold').notNullable();
    table.bigInteger('duration_ms').notNullable();
    table.bigInteger('interval_ms').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).notNullable();
    table.primary(['entity_ref', 'environment', 'name']);
  });
  await knex.schema.createTable('health_gate_environments', table => {
    table.comment('Whether a failed gate rolls the environment back');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.boolean('auto_rollback').notNullable().defaultTo(false);
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).notNullable();
    table.primary(['entity_ref', 'environment']);
  });
  await knex.schema.createTable('release_gate_checks', table => {
    table.comment('The gates of one release, fixed when its window started');
    table
      .string('release_id', 36)
      .notNullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table.string('name', 63).notNullable();
    table.integer('position').notNullable();
    table.text('query').notNullable().comment('As run: templated');
    table.string('comparison', 2).notNullable();
    table.double('threshold').notNullable();
    table.bigInteger('duration_ms').notNullable();
    table.bigInteger('interval_ms').notNullable();
    table.boolean('auto_rollback').notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table
      .string('verdict', 16)
      .notNullable()
      .comment('pending, passed or failed');
    table.text('reason').nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.primary(['release_id', 'name']);
  });
  await knex.schema.createTable('release_gate_samples', table => {
    table.comment('Values a gate observed during its window');
    table.bigIncrements('id').primary();
    table.string('release_id', 36).notNullable();
    table.string('gate_name', 63).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.double('value').nullable();
    table.boolean('passed').notNullable();
    table
      .text('error')
      .nullable()
      .comment('Why no value was read (Prometheus unreachable, no series)');
    table
      .foreign(['release_id', 'gate_name'])
      .references(['release_id', 'name'])
      .inTable('release_gate_checks')
      .onDelete('CASCADE');
    table.index(['release_id', 'gate_name', 'at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_gate_samples');
  await knex.schema.dropTable('release_gate_checks');
  await knex.schema.dropTable('health_gate_environments');
  await knex.schema.dropTable('health_gates');
};
