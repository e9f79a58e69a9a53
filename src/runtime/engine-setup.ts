import { loadFlows } from '../content/load-flows.js';
import { formatHotlineDirectory } from '../core/distress/hotline-directory.js';
import { CASE_ACTION_NODES, caseActions } from '../core/engine/case-actions.js';
import { CORE_ACTION_NODES, coreActions } from '../core/engine/core-actions.js';
import type { ActionRegistry, StepContext } from '../core/engine/engine-types.js';
import type { FlowDefinition } from '../core/engine/flow-schema.js';
import { validateFlows } from '../core/engine/flow-validate.js';
import { LESSON_ACTION_NODES, lessonActions } from '../core/engine/lesson-actions.js';
import { OFFER_ACTION_NODES, offerActions } from '../core/engine/offer-actions.js';
import { lessonForTopic } from '../core/lessons/lesson-runner.js';
import { FlowDefinitionError } from '../errors.js';
import type { ContentBundle } from './content-bundle.js';
import { createOfferAdvisor } from './offer-advisor.js';

export type EngineBundle = Omit<StepContext, 'now' | 'newSessionId'> & {
  advisor: ReturnType<typeof createOfferAdvisor>;
};

export const MAIN_FLOW = 'main';

/** Builds the action registry from content and checks every flow against it. Throws FlowDefinitionError naming file and node. */
export function buildEngine(content: ContentBundle): EngineBundle {
  const advisor = createOfferAdvisor({
    checker: content.offers.checker,
    catalogue: content.offers.catalogue,
    answers: content.offers.answers,
    topicToLesson: (topic) => lessonForTopic(content.lessons, topic),
  });
  const actions: ActionRegistry = {
    ...coreActions({
      hotlineText: (locale) =>
        formatHotlineDirectory(content.safety[locale].hotlines, content.texts.t(locale, 'hotlines.intro')),
    }),
    ...offerActions(advisor),
    ...lessonActions(content.lessons),
    ...caseActions(),
  };
  const actionNodes = {
    ...CORE_ACTION_NODES,
    ...OFFER_ACTION_NODES,
    ...LESSON_ACTION_NODES,
    ...CASE_ACTION_NODES,
  };
  const loaded = loadFlows(content.root);
  const problems = validateFlows(loaded, new Set(Object.keys(actions)), actionNodes, content.texts);
  if (problems.length > 0) throw new FlowDefinitionError(problems.join('\n'));
  const flows = new Map<string, FlowDefinition>(loaded.map(({ flow }) => [flow.id, flow]));
  if (!flows.has(MAIN_FLOW)) throw new FlowDefinitionError(`flows/: no flow with id "${MAIN_FLOW}"`);
  return { flows, mainFlow: MAIN_FLOW, texts: content.texts, actions, advisor };
}
