// Lambda's callback style: callback(error) fails the function, callback(null, event) answers.
export function handler(event, context, callback) {
  if (event.userName === 'refused') callback(new Error('no thanks'));
  else setTimeout(() => callback(null, { ...event, response: { ...event.response, autoConfirmUser: true } }), 5);
}
