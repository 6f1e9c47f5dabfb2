// @ts-check

/**
 * environment_sync_requests: the last sync (or forced reconcile) a person asked for from the
 * portal, per environment. ArgoCD records every such sync as the ArgoCD account of the portal;
 * this row keeps who asked and when, so a drift the sync corrected names the person. One row
 * per environment, replaced by the next request.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('environment_sync_requests', table => {
    table.comment('The last sync asked for from the portal, per environment');
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table
      .string('requested_by', 255)
      .notNullable()
      .comment('The user entity ref, or service:<subject>, of the caller');
    table
      .timestamp('requested_at', { useTz: true })
      .notNullable()
      .comment(
        'When the portal asked ArgoCD, just before ArgoCD started the sync',
      );
    table.primary(['entity_ref', 'environment']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('environment_sync_requests');
};
