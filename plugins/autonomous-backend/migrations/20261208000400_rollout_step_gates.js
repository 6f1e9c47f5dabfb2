// @ts-check

/**
 * Health gates at the pauses of an Argo Rollouts Rollout: a canary step or a blue/green preview
 * is judged by the environment's gates before the release promotes it, and a backend killed
 * mid-pause resumes the window it started. Same design as release_gate_checks/samples, keyed
 * by the step as well.
 *
 * - release_rollout_steps: each pause a release's Rollout reached, what it waited for, and what
 *   the release did there (promoted, aborted), so an action is sent once per pause.
 * - release_step_gate_checks: the gates of one pause, fixed (query templated) when its window
 *   started, with their verdict.
 * - release_step_gate_samples: every value observed at that pause.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_rollout_steps', table => {
    table.comment(
      'The pauses of the Rollout of a release and what it did there',
    );
    table
      .string('release_id', 36)
      .notNullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table
      .string('step', 32)
      .notNullable()
      .comment('canary-<step index> or preview-<pod hash>');
    table.text('label').notNullable();
    table.timestamp('reached_at', { useTz: true }).notNullable();
    table.string('action', 16).nullable().comment('promoted or aborted');
    table.timestamp('acted_at', { useTz: true }).nullable();
    table.primary(['release_id', 'step']);
  });
  await knex.schema.createTable('release_step_gate_checks', table => {
    table.comment(
      'The gates of one pause of a release, fixed when its window started',
    );
    table.string('release_id', 36).notNullable();
    table.string('step', 32).notNullable();
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
    table.primary(['release_id', 'step', 'name']);
    table
      .foreign(['release_id', 'step'])
      .references(['release_id', 'step'])
      .inTable('release_rollout_steps')
      .onDelete('CASCADE');
  });
  await knex.schema.createTable('release_step_gate_samples', table => {
    table.comment('Values a gate observed at one pause');
    table.bigIncrements('id').primary();
    table.string('release_id', 36).notNullable();
    table.string('step', 32).notNullable();
    table.string('gate_name', 63).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.double('value').nullable();
    table.boolean('passed').notNullable();
    table.text('error').nullable();
    table
      .foreign(['release_id', 'step', 'gate_name'])
      .references(['release_id', 'step', 'name'])
      .inTable('release_step_gate_checks')
      .onDelete('CASCADE');
    table.index(['release_id', 'step', 'gate_name', 'at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_step_gate_samples');
  await knex.schema.dropTable('release_step_gate_checks');
  await knex.schema.dropTable('release_rollout_steps');
};
