// Cognito's error vocabulary lives in domain/ (every layer speaks it); re-exported for the edge.
export * from '../domain/errors.js';
