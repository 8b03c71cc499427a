test('database url is set', () => {
  expect(process.env.DATABASE_URL).toMatch(/^postgres:\/\//);
});
