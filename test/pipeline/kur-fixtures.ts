/** The pipeline tests' building blocks live in test/support, where the built benches can reach them too. */
export * from '../support/kur-fixtures';
