import DefaultTheme from 'vitepress/theme'
import type { Theme } from 'vitepress'
import MermaidDiagram from './components/MermaidDiagram.vue'
import BookContents from './components/BookContents.vue'
import ComingSoon from './components/ComingSoon.vue'
import WindowLevelDemo from '../../demos/WindowLevelDemo.vue'
import './custom.css'

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('MermaidDiagram', MermaidDiagram)
    app.component('BookContents', BookContents)
    app.component('ComingSoon', ComingSoon)
    app.component('WindowLevelDemo', WindowLevelDemo)
  },
} satisfies Theme
