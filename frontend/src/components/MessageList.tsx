/** One message as a sentence, several as a list: a single error never reads as a one-item list. */
export function MessageList({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  if (messages.length === 1) return <p className="message-list">{messages[0]}</p>;
  return (
    <ul className="message-list">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}
