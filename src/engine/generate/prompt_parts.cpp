#include "engine/generate/prompt_parts.hpp"

#include <cstdlib>
#include <cstring>

namespace synth {
namespace {

constexpr std::array<DomainParts, kDomainCount + 1> kParts = {{
    // technical
    {{"explain", "debug", "optimize", "document", "review", "design", "test", "refactor"},
     {"a REST API for user accounts",
      "database connection pooling",
      "a rate limiter",
      "a B-tree index",
      "the login flow",
      "a message queue consumer",
      "a caching layer",
      "a CI pipeline",
      "memory leaks in a service",
      "a SQL query planner",
      "a retry policy",
      "a JSON parser",
      "the deployment script",
      "a thread pool",
      "an auth token check",
      "a schema migration",
      "a search endpoint",
      "a log shipper",
      "a file upload handler",
      "a config loader"},
     {"a backend team", "a junior developer", "an SRE on call", "a code reviewer", "a security auditor",
      "a platform team"},
     {"cite the error codes", "show sample code", "list edge cases", "state complexity", "add unit tests",
      "note failure modes", "keep it under 400 words", "name the tradeoffs", "include a diagram",
      "give benchmarks", "cover concurrency", "flag security risks"},
     {" Assume PostgreSQL 15 on Linux.", " The service handles 2k requests/s.",
      " Legacy code must keep working.", " Latency matters more than cost.", " The team uses Python and Go.",
      " Downtime is not acceptable."}},
    // creative
    {{"write", "draft", "imagine", "sketch", "compose", "invent", "rework", "outline"},
     {"a short story about a lighthouse",
      "a poem on city rain",
      "a scene in a night market",
      "a myth about the first river",
      "a dialogue between rivals",
      "a letter from the future",
      "a fable about a fox",
      "a song about leaving home",
      "a ghost story for kids",
      "a speech for a small hero",
      "a travel diary entry",
      "a haiku sequence on autumn",
      "a monologue of a robot",
      "a heist opening scene",
      "a bedtime tale with dragons",
      "a comic strip script",
      "a mystery's first page",
      "an ode to old bicycles",
      "a world with two moons",
      "a wedding toast"},
     {"young readers", "a literary magazine", "a radio play", "a writing class", "a game studio",
      "a family gathering"},
     {"use vivid imagery", "keep a hopeful tone", "end with a twist", "write in first person",
      "stay under 300 words", "use short lines", "add one dialogue", "avoid cliches", "set it at dawn",
      "include a refrain", "show, not tell", "name the senses"},
     {" The mood should be warm.", " Keep it suitable for all ages.", " Let it surprise the reader.",
      " Rhythm matters here.", " The setting is coastal.", " Draw on folk tales."}},
    // analytical
    {{"analyze", "compare", "evaluate", "assess", "model", "forecast", "interpret", "audit"},
     {"quarterly churn data",     "two pricing strategies", "a survey on remote work",
      "sales by region",          "an A/B test result",     "supplier risk",
      "energy use trends",        "hiring funnel metrics",  "customer reviews",
      "a budget variance",        "traffic sources",        "inventory turnover",
      "a clinical trial summary", "support ticket volume",  "market entry options",
      "loan default rates",       "app retention cohorts",  "ad spend efficiency",
      "crop yield data",          "election polls"},
     {"a finance team", "an executive board", "a product manager", "a policy analyst", "a data science team",
      "investors"},
     {"state assumptions", "quantify uncertainty", "cite data sources", "show key figures",
      "rank the options", "note the biases", "give a summary", "use a table", "explain outliers",
      "recommend next steps", "define each metric", "check significance"},
     {" The data covers 2023 and 2024.", " Figures are in US dollars.", " Some values are missing.",
      " Decisions are due next week.", " The audience is not technical.", " Compare against last year."}},
    // instructional
    {{"teach", "explain", "show", "guide me through", "walk through", "describe", "coach", "outline"},
     {"baking sourdough bread", "changing a bike tire",   "setting up a budget",     "writing a cover letter",
      "planting tomatoes",      "using git branches",     "learning chess openings", "cleaning a laptop fan",
      "meal prep for a week",   "public speaking basics", "knitting a scarf",        "filing a tax return",
      "training a puppy",       "painting a room",        "making cold brew",        "tying a bowline knot",
      "first aid for burns",    "starting to run",        "backing up a phone",      "brewing green tea"},
     {"a beginner", "a teenager", "a busy parent", "a new hire", "a retiree", "a student"},
     {"number each step", "list the tools", "give time needed", "warn of mistakes", "add safety notes",
      "use plain words", "end with a check", "keep steps short", "include a tip", "state the goal",
      "show an example", "name a shortcut"},
     {" No prior experience is assumed.", " Only basic tools are at hand.", " Time is limited to an hour.",
      " Explain why each step matters.", " Metric units, please.", " It is for a handout."}},
    // conversational
    {{"chat about", "talk about", "discuss", "tell me about", "share thoughts on", "help me with",
      "ask me about", "reflect on"},
     {"weekend plans",       "a favorite book",       "moving to a new city", "learning a language",
      "a tough day at work", "travel tips for Japan", "staying motivated",    "a hobby to try",
      "cooking for friends", "a movie night pick",    "making new friends",   "a career change",
      "morning routines",    "music for focus",       "a gift idea",          "saving money",
      "a fun fact",          "sleep habits",          "a podcast to try",     "a team lunch"},
     {"a friend", "a coworker", "a neighbor", "a classmate", "a mentor", "me"},
     {"be friendly", "ask a question", "keep it brief", "be honest", "add humor", "stay positive",
      "use examples", "be curious", "skip jargon", "be kind", "share a story", "be relaxed"},
     {" I feel a bit unsure.", " Keep it casual.", " I have ten minutes.", " Be encouraging.",
      " Ask before advising.", " Speak plainly."}},
    // neutral: for domains of fitted data that the design table does not know
    {{"describe", "summarize", "explain", "review", "plan", "compare", "improve", "outline"},
     {"the next project phase", "a weekly status update",   "the main findings",     "a short proposal",
      "the open questions",     "a checklist for the task", "the key decisions",     "a handover note",
      "the current process",    "a list of options",        "the expected outcome",  "a meeting agenda",
      "the known risks",        "a simple timeline",        "the team's priorities", "a progress summary",
      "the lessons learned",    "a request for feedback",   "the success criteria",  "a short overview"},
     {"a colleague", "a small team", "a manager", "a newcomer", "a stakeholder", "a reviewer"},
     {"be concise", "use clear headings", "give an example", "state the goal", "list the next steps",
      "note any risks", "keep it factual", "define terms", "use bullet points", "end with a summary",
      "cite the sources", "name an owner"},
     {" The reader has little time.", " Keep the tone neutral.", " Assume no prior context.",
      " Plain language is best.", " It will be shared widely.", " Focus on what matters most."}},
}};

}  // namespace

// The same parts, copied once into an arena where every text is followed by
// kPartPadding spare bytes: the composer can then copy any part with a few
// fixed 16-byte moves, without a branch on its exact length.
struct PaddedParts {
  std::array<DomainParts, kDomainCount + 1> parts;
  std::array<char, 32768> arena;
  std::size_t used = 0;

  std::string_view keep(std::string_view text) {
    // About 20 kB with today's vocabulary; a bigger one must grow the arena.
    if (text.size() + kPartPadding > arena.size() - used) std::abort();
    char* start = arena.data() + used;
    std::memcpy(start, text.data(), text.size());
    used += text.size() + kPartPadding;
    return {start, text.size()};
  }
  template <std::size_t N>
  void keep_all(std::array<std::string_view, N>& texts) {
    for (auto& t : texts) t = keep(t);
  }
  PaddedParts() : parts(kParts), arena{} {
    for (auto& p : parts) {
      keep_all(p.verbs);
      keep_all(p.subjects);
      keep_all(p.audiences);
      keep_all(p.clauses);
      keep_all(p.contexts);
    }
  }
};

const DomainParts& parts_for(std::size_t domain) {
  static const PaddedParts padded;
  return padded.parts[domain];
}

}  // namespace synth
