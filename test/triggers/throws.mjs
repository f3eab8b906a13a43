export const handler = async () => {
  throw new Error('Registration from this domain is not allowed.');
};
