/**
 * A real SMTP server in its own process for the outbox tests: listens on the port given as the
 * first argument and prints one JSON line per message received ({ messageId, to }).
 */
const { SMTPServer } = require('smtp-server');

const port = Number(process.argv[2]);
const server = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, session, callback) {
    let raw = '';
    stream.on('data', (d) => (raw += d.toString('utf8')));
    stream.on('end', () => {
      const messageId = (/^Message-ID:\s*<([^>]+)>/im.exec(raw) || [])[1] || null;
      const to = session.envelope.rcptTo.map((r) => r.address);
      process.stdout.write(`${JSON.stringify({ messageId, to })}\n`);
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
