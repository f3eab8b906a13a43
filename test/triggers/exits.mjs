export async function handler() {
  process.exit(3);
}
