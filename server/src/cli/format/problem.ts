// The CLI formats print the project edge's problems.
export * from '../../project/problem';
