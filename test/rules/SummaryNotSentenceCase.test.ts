import { ruleSuite } from './helpers.js';

ruleSuite('SummaryNotSentenceCase', {
  failing: [
    {
      name: 'a Title Case summary',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = 'List All Open Tasks';
      },
      path: ['paths', '/tasks', 'get', 'summary'],
      message: /"List All Open Tasks"/,
    },
    {
      name: 'a summary starting in lowercase',
      mutate: doc => {
        doc.paths['/tasks'].post.summary = 'create a task';
      },
      path: ['paths', '/tasks', 'post', 'summary'],
    },
  ],
  passing: [
    {
      name: 'a proper name and an acronym inside a sentence-case summary',
      mutate: doc => {
        doc.paths['/tasks'].get.summary = 'List tasks shared in Contoso Planner by ID';
      },
    },
  ],
});
