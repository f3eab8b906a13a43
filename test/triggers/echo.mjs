// Answers with the event, response filled from the request's clientMetadata.answer (JSON), if any.
export async function handler(event) {
  const answer = event.request?.clientMetadata?.answer;
  if (answer) event.response = { ...event.response, ...JSON.parse(answer) };
  return event;
}
