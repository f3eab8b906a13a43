export async function handler() {
  return () => 'a function is not JSON';
}
